-- The idempotency functions of migration 020 run as their owner (remember_answer writes
-- past the web role's read-only grant): only the web role may call them, not PUBLIC.
REVOKE ALL ON FUNCTION
  remember_answer(uuid, uuid, text, bytea, integer, uuid, bigint, text, bigint[]),
  remember_answer_alone(uuid, uuid, text, bytea, integer, uuid, bigint, text, bigint),
  idempotent_answer(uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  remember_answer(uuid, uuid, text, bytea, integer, uuid, bigint, text, bigint[]),
  remember_answer_alone(uuid, uuid, text, bytea, integer, uuid, bigint, text, bigint),
  idempotent_answer(uuid, uuid, text) TO barometre_web;
