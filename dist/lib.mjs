import {
  run,
  schema,
  start,
  validate
} from "./shared-LGUR7XHV.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
