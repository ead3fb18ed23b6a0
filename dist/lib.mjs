import {
  run,
  schema,
  start,
  validate
} from "./shared-SD5KHT7C.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
