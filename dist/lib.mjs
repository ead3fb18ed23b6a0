import {
  run,
  schema,
  start,
  validate
} from "./shared-6RJW6GUF.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
