use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn stroke(x: f64, y: f64) -> f64 {
    x.hypot(y)
}
