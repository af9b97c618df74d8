package org.openkyc.server.screening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Matching against the three sample lists loaded together. */
class NameMatchingTest {

    private static ScreeningOutcome screen(EntityKind kind, String name) {
        return SampleLists.screener().screen(new ScreeningQuery(kind, List.of(name), Optional.empty(),
                Optional.empty()));
    }

    @ParameterizedTest(name = "{0} finds {1}")
    @CsvSource(delimiter = '|', value = {
        // exact, as listed and in the usual order
        "ROTENBERG, Arkady | ROTENBERG, Arkady",
        "Arkady Rotenberg | ROTENBERG, Arkady",
        // reordered
        "Soleimani Qasem | SOLEIMANI, Qasem",
        // misspelt
        "Qasem Soleimany | SOLEIMANI, Qasem",
        "Kasem Soleimani | SOLEIMANI, Qasem",
        "Arkadi Rottenberg | ROTENBERG, Arkady",
        // transliterated: Cyrillic and Hangul renderings of listed Latin names
        "Аркадий Ротенберг | ROTENBERG, Arkady",
        "김정은 | KIM, Jong Un",
        "김 정은 | KIM, Jong Un",
        // Arabic script against the UN list's original-script names
        "صدام حسين | SADDAM HUSSEIN AL-TIKRITI",
    })
    void personsAreFound(String query, String listed) {
        ScreeningOutcome o = screen(EntityKind.PERSON, query);
        assertThat(o.decision()).as(query).isEqualTo(Decision.HIT);
        assertThat(o.candidates().stream().filter(c -> c.score() >= SampleLists.THRESHOLD).map(Candidate::listedName))
                .as(query).contains(listed);
        assertThat(o.normalizedNames()).allSatisfy(n -> assertThat(n).matches("[a-z0-9 ]+"));
    }

    @Test
    void aliasIsFoundAndNamed() {
        ScreeningOutcome o = screen(EntityKind.ORGANISATION, "National Bank of Cuba");
        Candidate top = o.candidates().get(0);
        assertThat(top.listedName()).isEqualTo("BANCO NACIONAL DE CUBA");
        assertThat(top.matchedName()).isEqualTo("NATIONAL BANK OF CUBA");
        assertThat(top.source()).isEqualTo(OfacSdnParser.SOURCE);
        assertThat(o.decision()).isEqualTo(Decision.HIT);
    }

    @Test
    void organisationSuffixesAndPunctuationDoNotMatter() {
        ScreeningOutcome o = screen(EntityKind.ORGANISATION, "Banco Nacional de Cuba, S.A.");
        assertThat(o.candidates().get(0).listedName()).isEqualTo("BANCO NACIONAL DE CUBA");
        assertThat(o.candidates().get(0).score()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Jean Dupont", "Anna Schmidt", "Emma Johnson", "Michael Brown", "Sarah Wilson",
        "Somchai Jaidee", "สมชาย ใจดี", "Lee Ji-eun", "Park Seo-jun", "이지은", "Иван Петров", "Carlos Rodriguez",
        "Nguyen Van Anh", "Tanaka Hiroshi", "Pierre Martin", "Maria Garcia", "John Smith", "David Miller"})
    void commonNamesOfUnlistedPeopleAreNotHits(String name) {
        ScreeningOutcome o = screen(EntityKind.PERSON, name);
        assertThat(o.bestScore()).as(name).isLessThan(SampleLists.THRESHOLD);
        assertThat(o.decision()).as(name).isNotEqualTo(Decision.HIT);
    }

    @Test
    void dateOfBirthAndNationalityRaiseOrLowerTheScore() {
        IndexedSanctionsScreener s = SampleLists.screener();
        List<String> names = List.of("Qasem Soleimany");
        double plain = s.screen(new ScreeningQuery(EntityKind.PERSON, names, Optional.empty(), Optional.empty()))
                .bestScore();
        ScreeningOutcome same = s.screen(new ScreeningQuery(EntityKind.PERSON, names,
                BirthDate.parseIso("1957-03-11"), Optional.of("IRN")));
        ScreeningOutcome other = s.screen(new ScreeningQuery(EntityKind.PERSON, names,
                BirthDate.parseIso("1990-01-01"), Optional.of("FRA")));
        Candidate sameTop = same.candidates().stream().filter(c -> c.listedName().equals("SOLEIMANI, Qasem"))
                .findFirst().orElseThrow();
        assertThat(sameTop.score()).isGreaterThan(plain);
        assertThat(sameTop.breakdown()).extracting(ScoreFeature::feature)
                .containsExactly("name", "date_of_birth", "nationality");
        assertThat(sameTop.breakdown().get(1).explanation()).contains("same date of birth 1957-03-11");
        assertThat(sameTop.breakdown().get(2).explanation()).contains("same nationality IRN");
        double otherScore = other.candidates().stream().filter(c -> c.listedName().equals("SOLEIMANI, Qasem"))
                .mapToDouble(Candidate::score).findFirst().orElse(0);
        assertThat(otherScore).isLessThan(plain);
    }

    @Test
    void aPersonIsNotAnOrganisation() {
        double asPerson = screen(EntityKind.PERSON, "Banco Nacional de Cuba").bestScore();
        double asOrg = screen(EntityKind.ORGANISATION, "Banco Nacional de Cuba").bestScore();
        assertThat(asPerson).isLessThan(asOrg);
    }

    @Test
    void everyCandidateExplainsItsScore() {
        ScreeningOutcome o = screen(EntityKind.PERSON, "Kim Jong Un");
        assertThat(o.candidates()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.score()).isBetween(SampleLists.FLOOR, 1.0);
            assertThat(c.breakdown().get(0).feature()).isEqualTo("name");
            assertThat(c.breakdown().get(0).explanation()).contains(c.matchedName()).contains("Kim Jong Un");
        });
        assertThat(o.candidates()).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        assertThat(o.lists()).extracting(ListVersion::source)
                .containsExactly(OfacSdnParser.SOURCE, UnConsolidatedParser.SOURCE,
                        ConsolidatedScreeningListParser.SOURCE);
    }
}
