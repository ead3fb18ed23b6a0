import {
  run,
  schema,
  start,
  validate
} from "./shared-VUCLH5XE.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
