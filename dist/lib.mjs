import {
  run,
  schema,
  start,
  validate
} from "./shared-XP7VZHV7.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
