// Package embedapi is a client for text-embedding HTTP services, in two protocols:
//
//	tei     Hugging Face text-embeddings-inference, as Python Wurzel calls it:
//	        POST <API>/embed {"inputs": [...], "normalize": bool} -> [[...], ...];
//	        GET <API>/info -> {"model_id": ...}
//	openai  OpenAI-compatible: POST <API>/v1/embeddings {"model": ..., "input": [...]}
//	        -> {"data": [{"index": i, "embedding": [...]}, ...]}
//
// Requests time out after Timeout and are retried with exponential backoff on timeouts,
// connection errors, 429 and 5xx responses, honouring Retry-After. A 413 response splits the
// batch in two. Errors name the method, the URL (without credentials) and the status, and
// quote the start of the server's message; the API key never appears in them.
package embedapi
