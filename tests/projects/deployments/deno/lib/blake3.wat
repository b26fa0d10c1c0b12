(module (memory 2 2) (func (export "run") (param i32) (result i32) local.get 0))
