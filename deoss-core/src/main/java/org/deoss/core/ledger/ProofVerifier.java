package org.deoss.core.ledger;

/**
 * Checks a miner's answer to a {@link Challenge}. Must be deterministic (every node must reach the
 * same verdict) and thread-safe.
 */
@FunctionalInterface
public interface ProofVerifier {
  /** Largest proof the structural verifier accepts. */
  int MAX_PROOF_BYTES = 1 << 20;

  /** Whether {@code proof} answers {@code challenge}. */
  boolean verify(Challenge challenge, byte[] proof);

  /**
   * Checks Merkle proofs of the challenged leaves against the fragment ids recorded at upload, in
   * the {@link ChallengeProof} encoding: the verifier a network uses.
   */
  static ProofVerifier merkle() {
    return ChallengeProof::verify;
  }

  /**
   * Accepts any non-empty proof of at most {@link #MAX_PROOF_BYTES}, for tests of the ledger rules
   * that do not build real proofs.
   */
  static ProofVerifier structural() {
    return (challenge, proof) -> proof.length > 0 && proof.length <= MAX_PROOF_BYTES;
  }
}
