"""Use cases: each public function or method is one transaction over the collection."""
