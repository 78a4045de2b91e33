package dev.slipway.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.slipway.api.v1alpha1.ActionRecord;
import dev.slipway.api.v1alpha1.RequestAction;
import dev.slipway.api.v1alpha1.RevisionState;
import dev.slipway.api.v1alpha1.Rollout;
import dev.slipway.api.v1alpha1.RolloutStatus;
import dev.slipway.controller.core.Action;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per decision, with its fields, steps counted from 1; nothing for a pass that
 * decided nothing new.
 */
class DecisionLogTest {
  @Test
  void oneLinePerDecision() {
    Logger logger = (Logger) LoggerFactory.getLogger(DecisionLog.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    try {
      Rollout r = ClusterFixture.withName(ClusterFixture.spec("shop/web:2"), "web", "shop");
      RolloutStatus.Builder b = RolloutStatus.empty().toBuilder();
      b.canaryRevision = "h2";
      b.desiredWeight = 0;
      b.verifiedWeight = 0;
      RolloutStatus before = b.build();
      b.desiredWeight = 20;
      b.verifiedWeight = 20;
      b.currentStepIndex = 1;
      b.analysisVerdicts = List.of("1=Successful");
      b.lastAction =
          new ActionRecord(
              RequestAction.Resume, "bob@example.com", "kubectl-slipway", "t0", "t1", "resumed");
      RolloutStatus after = b.build();
      DecisionLog.passed(
          r,
          before,
          List.of(
              new Action.RecordTransition(
                  "h2", 1, 0, RevisionState.Ready, RevisionState.Canary, "StepsStarted", ""),
              new Action.SetWeight(20)),
          after);
      List<String> got = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertEquals(
          List.of(
              "transition namespace=shop rollout=web revision=h2 from=Ready to=Canary step=1 reason=StepsStarted",
              "weight written namespace=shop rollout=web revision=h2 canaryWeight=20 stableWeight=80",
              "weight verified namespace=shop rollout=web revision=h2 canaryWeight=20 step=2",
              "manual action namespace=shop rollout=web action=Resume requestedBy=bob@example.com result=resumed",
              "analysis verdict namespace=shop rollout=web revision=h2 step=2 verdict=Successful"),
          got);
      lines.list.clear();
      DecisionLog.passed(r, after, List.of(new Action.SetWeight(20)), after);
      assertEquals(
          List.of(),
          lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList(),
          "nothing new, nothing logged");
    } finally {
      logger.detachAppender(lines);
      logger.setLevel(level);
    }
  }
}
