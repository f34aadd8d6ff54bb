// Accounts not in the graph yet (full profiles and accounts only named); absent values stay unset.
UNWIND $rows AS row
CREATE (:Account {
  id: row.id, profile_ms: row.profile_ms, platform: row.platform, username: row.username,
  username_lc: row.username_lc, name: row.name, created_ms: row.created_ms,
  created_at: CASE WHEN row.created_ms IS NULL THEN null ELSE datetime({epochMillis: row.created_ms}) END,
  description: row.description, location: row.location, lang: row.lang, followers: row.followers,
  following: row.following, tweet_count: row.tweet_count, verified: row.verified,
  profile_image_url: row.profile_image_url, default_profile_image: row.default_profile_image
})
