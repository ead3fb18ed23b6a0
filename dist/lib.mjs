import {
  run,
  schema,
  start,
  validate
} from "./shared-4LZOA6G6.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
