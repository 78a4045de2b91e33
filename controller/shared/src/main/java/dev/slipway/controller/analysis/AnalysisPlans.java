package dev.slipway.controller.analysis;

import dev.slipway.analysis.promql.AnalysisArgs;
import dev.slipway.analysis.spec.MetricSpec;
import dev.slipway.api.v1alpha1.AnalysisArg;
import dev.slipway.api.v1alpha1.AnalysisStep;
import dev.slipway.api.v1alpha1.AnalysisTemplate;
import dev.slipway.api.v1alpha1.MetricDef;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.TemplateRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves what an analysis step asks for into metrics and args: templates fetched, declared args
 * given values (the step's win over the template's defaults), providers and Secrets resolved. Every
 * problem is an {@link AnalysisConfigException} that names the template, metric or arg.
 */
public final class AnalysisPlans {
  private final AnalysisSources sources;

  public AnalysisPlans(AnalysisSources sources) {
    this.sources = sources;
  }

  public record Plan(List<MetricSpec> metrics, AnalysisArgs args) {}

  public Plan resolve(Rollout r, AnalysisStep step, String stableHash, String canaryHash)
      throws AnalysisConfigException {
    String ns = r.getMetadata().getNamespace();
    var canary = r.getSpec().strategy().plan();
    Map<String, String> given = new LinkedHashMap<>();
    for (AnalysisArg a : step.argsOrEmpty()) {
      given.put(a.name(), a.value() == null ? "" : a.value());
    }
    Map<String, String> extra = new LinkedHashMap<>(given);
    List<MetricSpec> metrics = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (TemplateRef ref : step.templatesOrEmpty()) {
      AnalysisTemplate t = sources.template(ns, ref.templateName());
      if (t == null || t.getSpec() == null) {
        throw new AnalysisConfigException(
            "AnalysisTemplate " + ns + "/" + ref.templateName() + " not found");
      }
      String where = "template " + ref.templateName();
      if (t.getSpec().args() != null) {
        for (AnalysisArg declared : t.getSpec().args()) {
          String v =
              given.containsKey(declared.name()) ? given.get(declared.name()) : declared.value();
          if (v == null) {
            throw new AnalysisConfigException(
                where + ": arg " + declared.name() + " has no value; give it in the step's args");
          }
          extra.putIfAbsent(declared.name(), v);
        }
      }
      for (MetricDef m :
          t.getSpec().metrics() == null ? List.<MetricDef>of() : t.getSpec().metrics()) {
        add(
            metrics,
            names,
            MetricDefs.toSpec(
                where,
                m,
                t.getSpec().prometheus() != null ? t.getSpec().prometheus() : step.prometheus(),
                ns,
                sources));
      }
    }
    for (MetricDef m : step.metricsOrEmpty()) {
      add(metrics, names, MetricDefs.toSpec("inline", m, step.prometheus(), ns, sources));
    }
    if (metrics.isEmpty()) {
      throw new AnalysisConfigException("the analysis has no metrics");
    }
    AnalysisArgs args =
        new AnalysisArgs(
            r.getMetadata().getName(),
            ns,
            stableHash,
            canaryHash,
            canary.stableService(),
            canary.canaryService(),
            extra);
    return new Plan(metrics, args);
  }

  private static void add(List<MetricSpec> metrics, Set<String> names, MetricSpec m)
      throws AnalysisConfigException {
    if (!names.add(m.name())) {
      throw new AnalysisConfigException(
          "metric "
              + m.name()
              + " is defined twice (metric names must be unique across the step's templates and inline metrics)");
    }
    metrics.add(m);
  }
}
