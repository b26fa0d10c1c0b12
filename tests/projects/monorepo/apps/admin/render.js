export function render(url) {
  return `<h1>admin</h1><p>${url}</p>`;
}
