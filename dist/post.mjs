import {
  start
} from "./run-DJJR2XKK.mjs";

// action/post.mjs
start("post");
