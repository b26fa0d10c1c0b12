import init, { initThreadPool, blur } from './pkg/editor.js';

await init();
await initThreadPool(navigator.hardwareConcurrency);
document.querySelector('#go').addEventListener('click', () => blur(3));
