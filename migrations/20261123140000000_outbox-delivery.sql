-- Up Migration

-- What delivery needs beside each queued message. The Message-ID is minted by us and stored
-- before the first attempt, so every retry carries the same one, later messages of the request
-- can reply to it, and a requester's answer (In-Reply-To) can be matched back to the request.
ALTER TABLE outbox ADD COLUMN message_id text;
ALTER TABLE outbox ADD COLUMN in_reply_to text;
CREATE UNIQUE INDEX outbox_message_id ON outbox (message_id) WHERE message_id IS NOT NULL;
-- A request's earlier messages, in order, to thread the next one under them.
CREATE INDEX outbox_request ON outbox (request_id, seq);
