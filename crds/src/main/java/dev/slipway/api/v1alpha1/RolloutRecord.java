package dev.slipway.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The evidence of one revision attempt of a Rollout: an append-only, hash-chained, signed list of
 * entries. Large records continue in further parts, the chain running across them.
 */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@Kind("RolloutRecord")
@Plural("rolloutrecords")
@ShortNames({"srr"})
@AdditionalPrinterColumn(
    name = "Rollout",
    jsonPath = ".spec.rollout",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Revision",
    jsonPath = ".spec.revision",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Attempt",
    jsonPath = ".spec.attempt",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Part",
    jsonPath = ".spec.part",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RolloutRecord extends CustomResource<RolloutRecordSpec, Void> implements Namespaced {}
