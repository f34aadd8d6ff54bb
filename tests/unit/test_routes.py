"""How a cluster's route is read back from its stored signals."""

from coordgraph.analytics import routes


def test_route_of_reads_the_stored_route_and_falls_back_to_the_edge_route():
    assert routes.route_of({"route": "corroborated"}) == routes.CORROBORATED_ROUTE
    assert routes.route_of({"route": "sparse"}) == routes.SPARSE_ROUTE
    # runs made before routes were recorded, signals that are not a dict, and unknown names: the edge route
    assert routes.route_of({"co_retweet": 0.9}) == routes.EDGE_ROUTE
    assert routes.route_of("not json") == routes.EDGE_ROUTE
    assert routes.route_of({"route": "elsewhere"}) == routes.EDGE_ROUTE


def test_every_route_has_a_name_and_a_sentence():
    assert set(routes.FOUND_BY) == {routes.EDGE_ROUTE, routes.SPARSE_ROUTE, routes.CORROBORATED_ROUTE}
    assert all(name and how and not how.endswith(".") for name, how in routes.FOUND_BY.values())
