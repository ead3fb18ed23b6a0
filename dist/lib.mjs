import {
  run,
  schema,
  start,
  validate
} from "./shared-5XWOHUJZ.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
