import {
  run,
  schema,
  start,
  validate
} from "./shared-LXT2ROQN.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
