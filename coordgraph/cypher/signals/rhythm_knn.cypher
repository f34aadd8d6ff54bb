// k nearest neighbours by cosine similarity of the `rhythm` vectors (seeded, single-threaded: reproducible).
// GDS reports (cosine + 1) / 2 for float arrays; the caller maps it back to the cosine. The search stops after
// $max_iterations or when fewer than $delta_threshold of the neighbour lists change in an iteration. One row
// of parallel lists: a quarter of a million neighbour rows would otherwise cost more to stream than to find.
CALL gds.knn.stream($graph_name, {
  nodeProperties: {rhythm: 'COSINE'},
  topK: $top_k,
  sampleRate: $sample_rate,
  maxIterations: $max_iterations,
  deltaThreshold: $delta_threshold,
  randomSeed: $random_seed,
  concurrency: 1
})
YIELD node1, node2, similarity
RETURN collect(gds.util.asNode(node1).id) AS a, collect(gds.util.asNode(node2).id) AS b,
       collect(similarity) AS similarity
