import {
  run,
  schema,
  start,
  validate
} from "./shared-QKFH3XIB.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
