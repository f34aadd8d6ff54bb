// k nearest neighbours by cosine similarity of the `rhythm` vectors. GDS reports (cosine + 1) / 2 for float
// arrays; the caller maps it back to the cosine.
CALL gds.knn.stream($graph_name, {
  nodeProperties: {rhythm: 'COSINE'},
  topK: $top_k,
  sampleRate: $sample_rate,
  randomSeed: $random_seed,
  concurrency: 1
})
YIELD node1, node2, similarity
RETURN gds.util.asNode(node1).id AS a, gds.util.asNode(node2).id AS b, similarity
