export { default as decode, init } from "./decode.js";
