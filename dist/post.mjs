import {
  start
} from "./shared-XIJFUFFD.mjs";
import "./shared-DSGVKK6L.mjs";

// action/post.mjs
start("post");
