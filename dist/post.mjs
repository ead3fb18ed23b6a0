import {
  start
} from "./run-MIWJRYET.mjs";

// action/post.mjs
start("post");
