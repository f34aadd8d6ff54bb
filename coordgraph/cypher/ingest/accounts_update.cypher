// A newer profile of an account in the graph (the writer compares profile_ms first): given values replace the
// old ones, absent values keep them. Explicit SETs, not `+= map`, keep the plan free of Eager.
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
SET a.profile_ms = row.profile_ms,
    a.platform = coalesce(row.platform, a.platform),
    a.username = coalesce(row.username, a.username),
    a.username_lc = coalesce(row.username_lc, a.username_lc),
    a.name = coalesce(row.name, a.name),
    a.created_ms = coalesce(row.created_ms, a.created_ms),
    a.created_at = CASE WHEN row.created_ms IS NULL THEN a.created_at ELSE datetime({epochMillis: row.created_ms}) END,
    a.description = coalesce(row.description, a.description),
    a.location = coalesce(row.location, a.location),
    a.lang = coalesce(row.lang, a.lang),
    a.followers = coalesce(row.followers, a.followers),
    a.following = coalesce(row.following, a.following),
    a.tweet_count = coalesce(row.tweet_count, a.tweet_count),
    a.verified = coalesce(row.verified, a.verified),
    a.profile_image_url = coalesce(row.profile_image_url, a.profile_image_url),
    a.default_profile_image = coalesce(row.default_profile_image, a.default_profile_image)
