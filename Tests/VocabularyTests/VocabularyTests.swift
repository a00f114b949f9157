import Foundation
import TestSupport
import Testing
import Vocabulary

/// The shared words: the review item's life and the one list of exception reasons.
@Suite struct VocabularyTests {
    @Test func aClaimTakesAnItemOnlyFromAWaitingState() {
        #expect(ReviewItemStatus.open.claimed == .claimed)
        #expect(ReviewItemStatus.claimed.claimed == .claimed, "an expired claim is taken over")
        #expect(ReviewItemStatus.secondEntry.claimed == .secondEntry, "the second verifier keys blind")
        #expect(ReviewItemStatus.referred.claimed == .claimedReferred)
        #expect(ReviewItemStatus.done.claimed == nil && ReviewItemStatus.resolved.claimed == nil)
    }

    @Test func aReleasedItemGoesBackWhereItCameFrom() {
        #expect(ReviewItemStatus.claimed.released(hasFirstEntry: false) == .open)
        #expect(ReviewItemStatus.claimed.released(hasFirstEntry: true) == .secondEntry)
        #expect(ReviewItemStatus.claimedReferred.released(hasFirstEntry: false) == .referred)
        #expect(ReviewItemStatus.secondEntry.released(hasFirstEntry: true) == .secondEntry)
    }

    @Test func everyDecisionLeadsToOneState() {
        let after = Dictionary(uniqueKeysWithValues: DecisionAction.allCases.map { ($0, ReviewItemStatus.after($0)) })
        #expect(after[.accept] == .done && after[.correct] == .done && after[.confirm] == .done && after[.secondEntry] == .done)
        #expect(after[.firstEntry] == .secondEntry)
        #expect(after[.refer] == .referred && after[.disagree] == .referred)
        #expect(after[.undo] == .claimed)
        #expect(ReviewItemStatus.waiting.allSatisfy { !$0.isFinished } && ReviewItemStatus.finished.allSatisfy(\.isFinished))
    }

    @Test func everyExceptionReasonSaysWhatHappenedAndWhatToDo() {
        #expect(Set(ExceptionReason.allCases.map(\.rawValue)).count == ExceptionReason.allCases.count)
        for reason in ExceptionReason.allCases {
            #expect(!reason.explanation.isEmpty && !reason.remedy.isEmpty, "\(reason)")
            #expect(!reason.explanation.contains("|") && !reason.remedy.contains("|"), "\(reason) would break the table")
        }
    }

    /// The README's table of reasons is `pindai exceptions --reasons`, word for word.
    @Test func theReadmeListsEveryExceptionReasonAsTheEnumDoes() throws {
        let readme = try String(contentsOfFile: Fixtures.repositoryRoot + "/README.md", encoding: .utf8)
        #expect(readme.contains(ExceptionReason.markdownTable + "\n"), "paste the output of `pindai exceptions --reasons` into the README")
    }
}
