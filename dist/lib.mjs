import {
  run,
  schema,
  start,
  validate
} from "./shared-3L5L75RY.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
