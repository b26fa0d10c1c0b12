import init, { stroke } from './pkg/sketchpad.js';

async function run() {
  await init();
  const canvas = document.getElementById('pad');
  canvas.addEventListener('mousemove', (e) => {
    document.title = stroke(e.offsetX, e.offsetY).toFixed(1);
  });
}

run();
