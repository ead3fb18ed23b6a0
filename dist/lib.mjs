import {
  run,
  schema,
  start,
  validate
} from "./shared-PAN7P4G3.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
