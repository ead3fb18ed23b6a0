import {
  start
} from "./shared-W7PEXNQY.mjs";
import "./shared-DSGVKK6L.mjs";

// action/main.mjs
start("main");
