;; GC type section: rec groups, subtypes (final and open), packed fields, ref types.
(module
  (rec
    (type $node (sub (struct (field $next (ref null $node)) (field i8))))
    (type $leaf (sub final $node (struct (field $next (ref null $node)) (field i8) (field f64)))))
  (type $bytes (array (mut i8)))
  (type $words (array i16))
  (type $cb (func (param (ref $node) anyref eqref i31ref structref arrayref nullref)
                  (result (ref null extern) (ref null func) nullfuncref nullexternref)))
  (rec (type $a (func (param (ref $b)))) (type $b (func (result (ref $a)))))
  (func (type $cb) unreachable))
