(module (memory 4 4) (func (export "resize") (param i32) (result i32) local.get 0))
