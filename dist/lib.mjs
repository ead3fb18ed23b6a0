import {
  run,
  schema,
  start,
  validate
} from "./shared-QIJMTMEW.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
