// coordgraph schema: uniqueness constraints before any MERGE, and indexes used by signals and reports.
// Every statement is idempotent (IF NOT EXISTS); `coordgraph schema` and every ingest apply this file.
CREATE CONSTRAINT account_id IF NOT EXISTS FOR (a:Account) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT tweet_id IF NOT EXISTS FOR (t:Tweet) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT hashtag_tag IF NOT EXISTS FOR (h:Hashtag) REQUIRE h.tag IS UNIQUE;
CREATE CONSTRAINT url_url IF NOT EXISTS FOR (u:Url) REQUIRE u.url IS UNIQUE;
CREATE CONSTRAINT domain_name IF NOT EXISTS FOR (d:Domain) REQUIRE d.name IS UNIQUE;
CREATE CONSTRAINT media_key IF NOT EXISTS FOR (m:Media) REQUIRE m.key IS UNIQUE;
CREATE CONSTRAINT source_key IF NOT EXISTS FOR (s:Source) REQUIRE s.key IS UNIQUE;
CREATE CONSTRAINT status_check_key IF NOT EXISTS FOR (c:StatusCheck) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT run_id IF NOT EXISTS FOR (r:Run) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT cluster_key IF NOT EXISTS FOR (c:Cluster) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT retweet_id IF NOT EXISTS FOR ()-[r:RETWEETED]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX account_username IF NOT EXISTS FOR (a:Account) ON (a.username_lc);
CREATE INDEX account_created IF NOT EXISTS FOR (a:Account) ON (a.created_ms);
CREATE INDEX tweet_created IF NOT EXISTS FOR (t:Tweet) ON (t.created_ms);
CREATE INDEX tweet_text_hash IF NOT EXISTS FOR (t:Tweet) ON (t.text_hash);
CREATE INDEX retweet_at IF NOT EXISTS FOR ()-[r:RETWEETED]-() ON (r.at_ms);
CREATE INDEX cluster_run IF NOT EXISTS FOR (c:Cluster) ON (c.run_id);
CREATE INDEX evidence_run IF NOT EXISTS FOR ()-[e:COORDINATED]-() ON (e.run_id);
CREATE FULLTEXT INDEX tweet_text IF NOT EXISTS FOR (t:Tweet) ON EACH [t.text];
