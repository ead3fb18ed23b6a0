import {
  run,
  schema,
  start,
  validate
} from "./shared-6GUY4QNO.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
