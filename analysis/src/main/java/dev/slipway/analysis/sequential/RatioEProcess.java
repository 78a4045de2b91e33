package dev.slipway.analysis.sequential;

/**
 * An anytime-valid test that the canary's event rate (errors, or slow responses) is no higher than
 * the baseline's, from counts taken at every look. Pure and immutable.
 *
 * <p><b>Model.</b> Each request fails (or is slow) independently with probability {@code p_c} on
 * the canary and {@code p_b} on the baseline. Given a look's request counts {@code n_c, n_b} and
 * its total events {@code E}, the canary's events {@code X} are, under the null {@code p_c = p_b},
 * hypergeometric; in the Poisson limit they are Binomial(E, q) with {@code q = n_c / (n_c + n_b)},
 * the canary's share of the look's requests. Under a rate ratio {@code r = p_c / p_b} they are
 * Binomial(E, rq / (rq + 1 - q)). This is the conditioning of Lindon, Sanden &amp; Shirikian,
 * "Rapid Regression Detection in Software Deployments through Sequential Testing" (KDD 2022,
 * arXiv:2205.14762): counts of two Poisson processes, compared through the share of events that
 * fall on the canary, with the exposure of each look ({@code q}) allowed to change between looks
 * (the weight moves, traffic ebbs).
 *
 * <p><b>Statistic.</b> For one alternative {@code r}, the likelihood ratio of a look is {@code r^X
 * / (rq + 1 - q)^E}. Its product over looks is a nonnegative martingale with mean 1 under the null,
 * and a supermartingale under any {@code p_c <= p_b} (fewer canary events only shrink it), and,
 * because {@code r^x} is convex, also under the exact hypergeometric null (Hoeffding: sampling
 * without replacement is more concentrated). A mixture over alternatives ({@link MixturePrior}) is
 * again such a martingale: an e-process, as in Ramdas et al., "Game-theoretic statistics and safe
 * anytime-valid inference" (Statistical Science 2023), and the mixture approach of Lindon &amp;
 * Malek, "Anytime-valid inference for multinomial count data" (NeurIPS 2022). By Ville's inequality
 * the chance that it <em>ever</em> reaches {@code 1/alpha} when the canary is no worse is at most
 * {@code alpha}, however often one looks: so the test may look at every scrape and stop the moment
 * it crosses.
 *
 * <p>All arithmetic is StrictMath, so a recorded verdict recomputes bit for bit anywhere.
 */
public final class RatioEProcess {
  private final MixturePrior prior;
  private final double[] logLr;
  private final Counts canary;
  private final Counts baseline;
  private final int looks;

  private RatioEProcess(
      MixturePrior prior, double[] logLr, Counts canary, Counts baseline, int looks) {
    this.prior = prior;
    this.logLr = logLr;
    this.canary = canary;
    this.baseline = baseline;
    this.looks = looks;
  }

  /** Before any look: every likelihood ratio is 1, so the e-value is 1. */
  public static RatioEProcess start(MixturePrior prior) {
    return new RatioEProcess(prior, new double[prior.size()], Counts.NONE, Counts.NONE, 0);
  }

  /**
   * The process after one more look. A look without events changes no ratio (it carries no
   * evidence).
   */
  public RatioEProcess after(Look look) {
    double[] next = logLr.clone();
    long x = look.canary().events();
    long e = look.events();
    if (e > 0) {
      double q = look.canaryShare();
      for (int k = 0; k < next.length; k++) {
        double r = prior.ratio(k);
        next[k] += x * StrictMath.log(r) - e * StrictMath.log(r * q + 1 - q);
      }
    }
    return new RatioEProcess(
        prior, next, canary.plus(look.canary()), baseline.plus(look.baseline()), looks + 1);
  }

  /**
   * The natural log of the e-value: log of the prior-weighted sum of likelihood ratios
   * (log-sum-exp, stable).
   */
  public double logE() {
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[logLr.length];
    for (int k = 0; k < logLr.length; k++) {
      terms[k] = StrictMath.log(prior.weight(k)) + logLr[k];
      max = Math.max(max, terms[k]);
    }
    double sum = 0;
    for (double t : terms) sum += StrictMath.exp(t - max);
    return max + StrictMath.log(sum);
  }

  /**
   * The e-value itself (may overflow to infinity for overwhelming evidence; {@link #logE} does
   * not).
   */
  public double e() {
    return StrictMath.exp(logE());
  }

  /**
   * Whether the evidence has reached {@code 1/alpha}: the canary is worse, with false-alarm
   * probability at most alpha.
   */
  public boolean crossed(double alpha) {
    return logE() >= StrictMath.log(1 / alpha);
  }

  /** The alternative the evidence favours most so far, for the verdict's words. */
  public double likeliestRatio() {
    int best = 0;
    for (int k = 1; k < logLr.length; k++) if (logLr[k] > logLr[best]) best = k;
    return logLr[best] > 0 ? prior.ratio(best) : 1;
  }

  public Counts canary() {
    return canary;
  }

  public Counts baseline() {
    return baseline;
  }

  public int looks() {
    return looks;
  }

  public MixturePrior prior() {
    return prior;
  }
}
