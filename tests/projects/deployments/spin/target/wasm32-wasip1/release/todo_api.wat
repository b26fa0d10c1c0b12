(module (memory 2 2) (func (export "_start")))
