import {
  run,
  schema,
  start,
  validate
} from "./shared-UEV6EWH5.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
