package dev.slipway.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Reusable metrics, referenced by name from a Rollout's analysis steps in the same namespace. */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@Kind("AnalysisTemplate")
@Plural("analysistemplates")
@ShortNames({"sat"})
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AnalysisTemplate extends CustomResource<AnalysisTemplateSpec, Void>
    implements Namespaced {}
