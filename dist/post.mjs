import {
  start
} from "./shared-4SGC3RNJ.mjs";
import "./shared-DSGVKK6L.mjs";

// action/post.mjs
start("post");
