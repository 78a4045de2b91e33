package dev.slipway.controller.core.fleet;

import dev.slipway.api.v1alpha1.ActionRecord;
import dev.slipway.api.v1alpha1.Condition;
import dev.slipway.api.v1alpha1.Durations;
import dev.slipway.api.v1alpha1.MemberStatus;
import dev.slipway.api.v1alpha1.ReleaseHalt;
import dev.slipway.api.v1alpha1.ReleasePhase;
import dev.slipway.api.v1alpha1.ReleaseRequest;
import dev.slipway.api.v1alpha1.ReleaseSpec;
import dev.slipway.api.v1alpha1.ReleaseStatus;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.Wave;
import dev.slipway.api.v1alpha1.WaveStatus;
import dev.slipway.controller.core.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The hub's pure decision: (spec, status, what the member clusters showed, now) to (next status,
 * requests to member Rollouts, Events). A wave opens only when the one before it passed: every
 * Rollout Stable on the revision, its evidence verified with its cluster's key, the bake time over.
 * A rollback on the revision in the open wave halts the release for good: no later wave opens, and
 * the open wave's other canaries are aborted. An unreachable member, a missing Rollout or a wave
 * that selects no cluster holds the wave; none of them ever counts as passed.
 */
public final class ReleaseDecider {
  /** How often the hub reads its members while nothing is due sooner. */
  public static final Duration RECHECK = Duration.ofSeconds(5);

  /** After sending requests: look again soon, to see them carried out. */
  public static final Duration SOON = Duration.ofSeconds(1);

  public static final String REACHABLE = "MembersReachable";
  public static final String VERIFIED = "EvidenceVerified";
  public static final String GATED = "LaterWavesGated";

  /** Who wrote the pending request, from managedFields; either may be null. */
  public record RequestMeta(String fieldManager, String requestedAt) {}

  private ReleaseDecider() {}

  public static FleetDecision decide(
      ReleaseSpec spec,
      Long generation,
      ReleaseStatus status,
      List<WaveView> views,
      RequestMeta meta,
      Instant now) {
    return new Pass(spec, generation, status == null ? ReleaseStatus.empty() : status, views, now)
        .run(meta);
  }

  private static final class Pass {
    final ReleaseSpec spec;
    final Long generation;
    final ReleaseStatus before;
    final List<WaveView> views;
    final Instant now;
    final List<WaveStatus> waves = new ArrayList<>();
    final List<FleetAction> actions = new ArrayList<>();
    final List<FleetEvent> events = new ArrayList<>();
    final List<RecordNote> notes = new ArrayList<>();
    ReleasePhase phase;
    int index;
    String message;
    ReleaseHalt halt;
    ActionRecord lastAction;
    List<Condition> conditions;
    Duration recheck = RECHECK;

    Pass(
        ReleaseSpec spec,
        Long generation,
        ReleaseStatus before,
        List<WaveView> views,
        Instant now) {
      this.spec = spec;
      this.generation = generation;
      this.before = before;
      this.views = views;
      this.now = now;
      Map<String, WaveStatus> known = new LinkedHashMap<>();
      for (WaveStatus w : before.wavesOrEmpty()) known.put(w.name(), w);
      for (Wave w : spec.waves()) {
        waves.add(
            known.getOrDefault(
                w.name(), new WaveStatus(w.name(), WaveStatus.WAITING, null, null, null, null)));
      }
      phase = before.phase() == null ? ReleasePhase.Progressing : before.phase();
      index = Math.min(before.waveIndex() == null ? 0 : before.waveIndex(), waves.size());
      message = before.message();
      halt = before.halt();
      lastAction = before.lastAction();
      conditions = before.conditions();
    }

    FleetDecision run(RequestMeta meta) {
      if (before.request() != null) request(before.request(), meta);
      if (phase == ReleasePhase.Halted || phase == ReleasePhase.Aborted) {
        abortInFlight();
      } else if (index >= waves.size()) {
        phase = FleetTransitions.phase(phase, ReleasePhase.Succeeded);
        message = "every wave passed";
      } else {
        openWave();
      }
      showMembers();
      conditions();
      if (!actions.isEmpty()) recheck = SOON;
      else if (phase == ReleasePhase.Succeeded || (phase.isFinal() && !inFlight())) recheck = null;
      ReleaseStatus next =
          new ReleaseStatus(
              generation,
              phase,
              Math.min(index + 1, waves.size()) + "/" + waves.size(),
              index,
              message,
              waves,
              halt,
              null,
              lastAction,
              conditions);
      return new FleetDecision(next, actions, events, notes, recheck);
    }

    void request(ReleaseRequest r, RequestMeta meta) {
      String result;
      if (phase.isFinal()) {
        result = "refused: the release is " + phase;
      } else {
        switch (r.action()) {
          case Pause -> {
            phase = FleetTransitions.phase(phase, ReleasePhase.Paused);
            result = "paused: no further wave opens until resumed";
          }
          case Resume -> {
            if (phase == ReleasePhase.Paused) {
              phase = FleetTransitions.phase(phase, ReleasePhase.Progressing);
              result = "resumed";
            } else {
              result = "nothing to resume: the release is " + phase;
            }
          }
          case Abort -> {
            phase = FleetTransitions.phase(phase, ReleasePhase.Aborted);
            if (index < waves.size() && !WaveStatus.WAITING.equals(waves.get(index).state())) {
              setWave(index, with(waves.get(index), WaveStatus.HALTED));
            }
            message = "aborted by request; no further wave opens";
            result = "aborted: the open wave's canaries are aborted, no further wave opens";
          }
          default -> throw new IllegalStateException(String.valueOf(r.action()));
        }
      }
      lastAction =
          new ActionRecord(
              RequestAction.valueOf(r.action().name()),
              r.requestedBy(),
              meta == null ? null : meta.fieldManager(),
              meta == null ? null : meta.requestedAt(),
              now.toString(),
              result);
      events.add(new FleetEvent("Request" + r.action(), false, result));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("action", r.action().name());
      if (r.requestedBy() != null) data.put("requestedBy", r.requestedBy());
      if (meta != null && meta.fieldManager() != null)
        data.put("fieldManager", meta.fieldManager());
      data.put("result", result);
      notes.add(
          new RecordNote(
              "request/" + (meta == null ? null : meta.requestedAt()) + "/" + r.action(),
              "Request",
              data));
    }

    void openWave() {
      WaveStatus cur = waves.get(index);
      WaveView view = views.get(index);
      if (WaveStatus.WAITING.equals(cur.state())) {
        if (phase == ReleasePhase.Paused) {
          message = "paused: wave " + cur.name() + " does not open until resumed";
          return;
        }
        cur = open(cur);
        setWave(index, cur);
      }
      MemberView back =
          view.members().stream().filter(MemberView::rolledBack).findFirst().orElse(null);
      if (back != null) {
        halt =
            new ReleaseHalt(
                cur.name(),
                back.cluster(),
                back.namespace(),
                back.rollout(),
                back.evidenceHead(),
                back.detail(),
                now.toString());
        phase = FleetTransitions.phase(phase, ReleasePhase.Halted);
        setWave(index, with(cur, WaveStatus.HALTED));
        message =
            "halted: "
                + back.id()
                + " was rolled back"
                + (back.detail() == null ? "" : " (" + back.detail() + ")")
                + "; no further wave opens";
        events.add(
            new FleetEvent("Halted", true, message + "; its record head " + back.evidenceHead()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("wave", cur.name());
        data.put("member", link(back));
        if (back.detail() != null) data.put("reason", back.detail());
        notes.add(new RecordNote("halted", "Halted", data));
        abortInFlight();
        return;
      }
      if (phase == ReleasePhase.Progressing) {
        for (MemberView m : view.members()) {
          if (m.reach() == MemberView.Reach.READ
              && m.onRevision()
              && m.gated()
              && !m.requestPending()) {
            actions.add(new FleetAction.Resume(m.cluster(), m.namespace(), m.rollout()));
          }
        }
      }
      List<String> holds = holds(view);
      boolean passing = holds.isEmpty();
      if (passing) {
        if (WaveStatus.OPEN.equals(cur.state())) {
          cur =
              new WaveStatus(
                  cur.name(),
                  FleetTransitions.wave(cur.state(), WaveStatus.BAKING),
                  cur.openedAt(),
                  now.toString(),
                  null,
                  cur.members());
          setWave(index, cur);
        }
        Duration bake = bake(spec.waves().get(index));
        Instant until = Instant.parse(cur.stableAt()).plus(bake);
        if (now.isBefore(until)) {
          message = "wave " + cur.name() + " Stable and verified; baking until " + until;
          recheck = min(RECHECK, Duration.between(now, until));
          return;
        }
        pass(cur, view);
        return;
      }
      if (WaveStatus.BAKING.equals(cur.state())) {
        setWave(
            index,
            new WaveStatus(
                cur.name(),
                FleetTransitions.wave(cur.state(), WaveStatus.OPEN),
                cur.openedAt(),
                null,
                null,
                cur.members()));
        events.add(
            new FleetEvent(
                "WaveUnsettled",
                true,
                "wave "
                    + cur.name()
                    + " left Stable while baking ("
                    + holds.get(0)
                    + "); its bake time starts again"));
      }
      message =
          "wave "
              + cur.name()
              + ": "
              + holds.get(0)
              + (holds.size() > 1 ? " (and " + (holds.size() - 1) + " more)" : "");
    }

    /** Why the open wave cannot pass yet; empty when it can. */
    List<String> holds(WaveView view) {
      List<String> holds = new ArrayList<>(view.problems());
      if (view.members().isEmpty() && holds.isEmpty()) holds.add("selects no Rollout");
      for (MemberView m : view.members()) {
        switch (m.reach()) {
          case UNREACHABLE -> holds.add(m.cluster() + " unreachable: " + m.detail());
          case MISSING -> holds.add(m.id() + " not found");
          case READ -> {
            if (!m.onRevision()) holds.add(m.id() + " not on the release's revision yet");
            else if (!m.stableOnRevision())
              holds.add(m.id() + " is " + (m.gated() ? "at its gate" : m.state()));
            else if (m.verified() == null)
              holds.add(m.id() + " Stable; its evidence not verified yet");
            else if (!m.verified())
              holds.add(m.id() + " Stable, but its evidence does not verify: " + m.detail());
          }
        }
      }
      return holds;
    }

    void pass(WaveStatus cur, WaveView view) {
      List<MemberStatus> heads = view.members().stream().map(Pass::member).toList();
      setWave(
          index,
          new WaveStatus(
              cur.name(),
              FleetTransitions.wave(cur.state(), WaveStatus.PASSED),
              cur.openedAt(),
              cur.stableAt(),
              now.toString(),
              heads));
      events.add(
          new FleetEvent(
              "WavePassed",
              false,
              "wave "
                  + cur.name()
                  + " passed: "
                  + heads.stream()
                      .map(
                          h ->
                              h.cluster()
                                  + ":"
                                  + h.namespace()
                                  + "/"
                                  + h.rollout()
                                  + " at "
                                  + h.recordHead())
                      .collect(Collectors.joining(", "))));
      notes.add(
          new RecordNote(
              "passed/" + cur.name(),
              "WavePassed",
              Map.of(
                  "wave",
                  cur.name(),
                  "members",
                  view.members().stream().map(Pass::link).toList())));
      index++;
      if (index >= waves.size()) {
        phase = FleetTransitions.phase(phase, ReleasePhase.Succeeded);
        message = "every wave passed";
        notes.add(new RecordNote("succeeded", "Succeeded", Map.of("waves", waves.size())));
        return;
      }
      if (phase == ReleasePhase.Paused) {
        message = "paused: wave " + waves.get(index).name() + " does not open until resumed";
        return;
      }
      setWave(index, open(waves.get(index)));
      message = "wave " + waves.get(index).name() + " opened";
      recheck = SOON;
    }

    WaveStatus open(WaveStatus w) {
      events.add(new FleetEvent("WaveOpened", false, "wave " + w.name() + " opened"));
      notes.add(new RecordNote("opened/" + w.name(), "WaveOpened", Map.of("wave", w.name())));
      return new WaveStatus(
          w.name(),
          FleetTransitions.wave(w.state(), WaveStatus.OPEN),
          now.toString(),
          null,
          null,
          w.members());
    }

    /** The open wave's canaries in flight, after a halt or an abort: aborted, pass after pass. */
    void abortInFlight() {
      if (index >= waves.size()) return;
      for (MemberView m : views.get(index).members()) {
        if (m.reach() == MemberView.Reach.READ
            && m.onRevision()
            && m.inFlight()
            && !m.requestPending()) {
          actions.add(new FleetAction.Abort(m.cluster(), m.namespace(), m.rollout()));
        }
      }
    }

    /** Whether a canary of the open wave still runs (after a halt: until its abort is seen). */
    boolean inFlight() {
      return index < views.size()
          && views.get(index).members().stream()
              .anyMatch(
                  m -> m.reach() != MemberView.Reach.READ || (m.onRevision() && m.inFlight()));
    }

    /** Every wave not passed shows its members as read this pass; a passed wave, as it passed. */
    void showMembers() {
      for (int i = 0; i < waves.size(); i++) {
        WaveStatus w = waves.get(i);
        if (WaveStatus.PASSED.equals(w.state())) continue;
        List<MemberStatus> now = views.get(i).members().stream().map(Pass::member).toList();
        if (!now.equals(w.membersOrEmpty())) {
          waves.set(
              i,
              new WaveStatus(
                  w.name(),
                  w.state(),
                  w.openedAt(),
                  w.stableAt(),
                  w.passedAt(),
                  now.isEmpty() ? null : now));
        }
      }
    }

    void conditions() {
      List<MemberView> open = index < views.size() ? views.get(index).members() : List.of();
      List<String> unreachable =
          open.stream()
              .filter(m -> m.reach() == MemberView.Reach.UNREACHABLE)
              .map(m -> m.cluster() + " (" + m.detail() + ")")
              .distinct()
              .toList();
      conditions =
          unreachable.isEmpty()
              ? Conditions.with(
                  conditions,
                  REACHABLE,
                  true,
                  "AllReachable",
                  "every member of the open wave answered",
                  now,
                  generation)
              : Conditions.with(
                  conditions,
                  REACHABLE,
                  false,
                  "MemberUnreachable",
                  "unreachable, holding the wave: " + String.join(", ", unreachable),
                  now,
                  generation);
      List<String> unverified =
          open.stream()
              .filter(m -> Boolean.FALSE.equals(m.verified()))
              .map(m -> m.id() + ": " + m.detail())
              .toList();
      conditions =
          unverified.isEmpty()
              ? Conditions.with(
                  conditions,
                  VERIFIED,
                  true,
                  "Verified",
                  "no member record failed verification",
                  now,
                  generation)
              : Conditions.with(
                  conditions,
                  VERIFIED,
                  false,
                  "EvidenceUnverified",
                  String.join("; ", unverified),
                  now,
                  generation);
      List<String> ungated = new ArrayList<>();
      for (int i = index + 1; i < views.size(); i++) {
        for (MemberView m : views.get(i).members()) {
          if (m.reach() == MemberView.Reach.READ && m.onRevision() && m.inFlight() && !m.gated())
            ungated.add(m.id() + " (wave " + waves.get(i).name() + ")");
        }
      }
      conditions =
          ungated.isEmpty()
              ? Conditions.with(
                  conditions,
                  GATED,
                  true,
                  "Gated",
                  "no Rollout of a later wave runs ahead of it",
                  now,
                  generation)
              : Conditions.with(
                  conditions,
                  GATED,
                  false,
                  "NotGated",
                  "running their canary before their wave opened (no pause at their first step?): "
                      + String.join(", ", ungated),
                  now,
                  generation);
    }

    void setWave(int i, WaveStatus w) {
      waves.set(i, w);
    }

    static WaveStatus with(WaveStatus w, String state) {
      return new WaveStatus(
          w.name(),
          FleetTransitions.wave(w.state(), state),
          w.openedAt(),
          w.stableAt(),
          w.passedAt(),
          w.members());
    }

    static MemberStatus member(MemberView m) {
      String state =
          switch (m.reach()) {
            case UNREACHABLE -> "Unreachable";
            case MISSING -> "Missing";
            case READ ->
                !m.onRevision() ? "NotOnRevision" : m.gated() ? "Gated" : String.valueOf(m.state());
          };
      return new MemberStatus(
          m.cluster(),
          m.namespace(),
          m.rollout(),
          state,
          m.evidenceHead(),
          m.verified(),
          m.detail());
    }

    /** A member record's head, as the hub's record links it. */
    static Map<String, Object> link(MemberView m) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("cluster", m.cluster());
      l.put("namespace", m.namespace());
      l.put("rollout", m.rollout());
      if (m.evidenceHead() != null) l.put("head", m.evidenceHead());
      return l;
    }

    static Duration bake(Wave w) {
      return w.bakeTime() == null || w.bakeTime().isBlank()
          ? Duration.ZERO
          : Durations.parse(w.bakeTime());
    }

    static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }
}
