// Profile fields of the non-target accounts the profile signal scores (optionally only those that act).
MATCH (a:Account)
WHERE NOT a:Target
  AND (NOT $active_only OR EXISTS { (a)-[:POSTED|RETWEETED]->(:Tweet) })
RETURN a.id AS account_id, a.username AS username, a.name AS name, a.description AS description,
       a.default_profile_image AS default_profile_image, a.profile_image_url AS profile_image_url
