"""A tiny llama-architecture GGUF whose answer is a known sentence, made with `gguf`.

The tokenizer is llama.cpp's own SentencePiece vocabulary (`ggml-vocab-llama-spm.gguf`,
shipped with its source). The weights are chosen, not trained: attention and the
feed-forward layer are zero, so the hidden state is the last token's embedding, and the
output matrix maps each embedding to the next token of `SENTENCE`:

- any token that is not in the sentence (the end of any chat template) → its first word;
- each word of the sentence → the next; the last word → end of text.

The winning logit beats the rest by 80 (at temperature 1), so sampling always picks it.
With `--ignore-eos` the end of text is barred and the last word's second choice, the
first word again, wins: the sentence repeats for ever, for the tests that stop an answer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["SENTENCE", "WORDS", "make_model", "sentence_tokens"]

WORDS = ["Hello", "from", "a", "tiny", "model", "made", "for", "the", "tests", "."]
SENTENCE = "Hello from a tiny model made for the tests."
"""The answer to every prompt: `WORDS`, one SentencePiece token each."""
EMBEDDING = 32
LAYERS = 1
HEADS = 4
STRENGTH = 10.0


def _vocabulary(vocab: Path) -> tuple[list[str], list[float], list[int], dict[str, int]]:
    import gguf

    reader = gguf.GGUFReader(vocab)
    fields = reader.fields
    tokens = [str(token) for token in fields["tokenizer.ggml.tokens"].contents()]
    scores = [float(score) for score in fields["tokenizer.ggml.scores"].contents()]
    types = [int(kind) for kind in fields["tokenizer.ggml.token_type"].contents()]
    return tokens, scores, types, {token: number for number, token in enumerate(tokens)}


def sentence_tokens(vocab: Path) -> list[int]:
    """The token ids of `WORDS`: "▁Hello", "▁from", …, and "." with no space."""
    *_, index = _vocabulary(vocab)
    pieces = [("" if word == "." else "▁") + word for word in WORDS]
    missing = [piece for piece in pieces if piece not in index]
    assert not missing, f"not single tokens in the vocabulary: {missing}"
    return [index[piece] for piece in pieces]


def make_model(path: Path, vocab: Path) -> Path:
    """Write the model to `path`, with the tokenizer from `vocab`; return `path`."""
    import gguf

    tokens, scores, types, _ = _vocabulary(vocab)
    chain = sentence_tokens(vocab)
    assert len(set(chain)) == len(chain) and len(chain) < EMBEDDING
    eos, default = 2, EMBEDDING - 1
    embedding = np.zeros((len(tokens), EMBEDDING), dtype=np.float32)
    embedding[:, default] = 1.0  # every token outside the sentence looks the same
    output = np.zeros((len(tokens), EMBEDDING), dtype=np.float32)
    output[chain[0], default] = STRENGTH
    for place, token in enumerate(chain):
        embedding[token] = 0.0
        embedding[token, place] = 1.0
        following = chain[place + 1] if place + 1 < len(chain) else eos
        output[following, place] = STRENGTH
    output[chain[0], len(chain) - 1] = STRENGTH / 2  # the runner-up after the last word

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("inkstream-tiny")
    writer.add_context_length(4096)
    writer.add_embedding_length(EMBEDDING)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(EMBEDDING)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(HEADS)
    writer.add_rope_dimension_count(EMBEDDING // HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(eos)
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)

    square = np.zeros((EMBEDDING, EMBEDDING), dtype=np.float32)
    ones = np.ones(EMBEDDING, dtype=np.float32)
    writer.add_tensor("token_embd.weight", embedding)
    writer.add_tensor("output_norm.weight", ones)
    writer.add_tensor("output.weight", output)
    for layer in range(LAYERS):
        block = f"blk.{layer}"
        for name in ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up"):
            writer.add_tensor(f"{block}.{name}.weight", square)
        writer.add_tensor(f"{block}.ffn_down.weight", square)
        writer.add_tensor(f"{block}.attn_norm.weight", ones)
        writer.add_tensor(f"{block}.ffn_norm.weight", ones)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
