import {
  start
} from "./shared-W7PEXNQY.mjs";
import "./shared-DSGVKK6L.mjs";

// action/post.mjs
start("post");
