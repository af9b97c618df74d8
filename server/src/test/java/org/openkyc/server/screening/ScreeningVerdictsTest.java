package org.openkyc.server.screening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verdicts on real people against the three sample lists: a partial or common
 * name is not a hit, particles belong to their name system, misspelt legal
 * forms are still legal forms, and names written in Arabic script find the
 * listed people they name.
 */
class ScreeningVerdictsTest {

    private static ScreeningOutcome screen(EntityKind kind, String name) {
        return SampleLists.screener().screen(new ScreeningQuery(kind, List.of(name), Optional.empty(),
                Optional.empty()));
    }

    private static Optional<Candidate> candidate(ScreeningOutcome o, String listedName) {
        return o.candidates().stream().filter(c -> c.listedName().equals(listedName)).findFirst();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ivan", "Mohammed", "Bashar", "Νικόλαος", "Saddam", "Nikolaos"})
    void aSingleNameIsNeverAHit(String name) {
        ScreeningOutcome o = screen(EntityKind.PERSON, name);
        assertThat(o.decision()).as(name).isNotEqualTo(Decision.HIT);
        assertThat(o.bestScore()).as(name).isLessThan(SampleLists.THRESHOLD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ivan", "Mohammed", "Bashar"})
    void aCommonSingleNameIsClear(String name) {
        // Ivan, Mohammed and Bashar are each borne by several listed people: alone they say nothing.
        assertThat(screen(EntityKind.PERSON, name).decision()).as(name).isEqualTo(Decision.CLEAR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Nikolaos", "Νικόλαος", "Emma", "Amira"})
    void aSingleGivenNameAloneIsClear(String name) {
        // Nikolaos is rare in the lists (MAZIOTIS, Nikolaos), but a given name alone names nobody in particular.
        assertThat(screen(EntityKind.PERSON, name).decision()).as(name).isEqualTo(Decision.CLEAR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Samir Farouk", "Rizky Santoso", "محمد علي", "أحمد حسن", "Mary Lewis", "Mohammed Shami",
        "Ana Martínez", "Patricia Johnson", "Ji-young Cho", "박지훈", "Mohammad Tehrani"})
    void ordinaryNamesThatOnlyResembleAListedNameAreClear(String name) {
        // Common names in close pairs weigh too little, and names that only look alike are not close pairs.
        assertThat(screen(EntityKind.PERSON, name).decision()).as(name).isEqualTo(Decision.CLEAR);
    }

    @Test
    void aRomanisationThatDiffersInItsVowelsOnlyIsFound() {
        // Tung-myong for Tong-Myo'ng: the vowels differ, the consonants and their places do not.
        ScreeningOutcome o = screen(EntityKind.PERSON, "Kim Tung-myong");
        assertThat(o.decision()).isEqualTo(Decision.HIT);
        assertThat(candidate(o, "KIM, Tong-Myo'ng")).hasValueSatisfying(c ->
                assertThat(c.score()).isGreaterThanOrEqualTo(SampleLists.THRESHOLD));
    }

    @Test
    void aReviewSaysWhyAndItsContributionsAddUp() {
        ScreeningOutcome o = screen(EntityKind.PERSON, "Lizesu Jurdan Martitegui");
        assertThat(o.decision()).isEqualTo(Decision.PENDING_REVIEW);
        Candidate c = candidate(o, "LIZASO, Jurdan Martitegui").orElseThrow();
        assertThat(c.breakdown()).extracting(ScoreFeature::feature).startsWith("name", "coverage");
        assertThat(c.breakdown().get(0).explanation()).contains("close pairs hold");
        assertThat(c.breakdown().stream().mapToDouble(ScoreFeature::contribution).sum())
                .isCloseTo(c.score(), org.assertj.core.data.Offset.offset(0.0002));
    }

    @Test
    void oneTokenInCommonWithAListedNameOfSeveralIsNotAHit() {
        ScreeningOutcome o = screen(EntityKind.PERSON, "Bashar Smith");
        assertThat(o.decision()).isNotEqualTo(Decision.HIT);
        assertThat(candidate(o, "AL-ASSAD, Bashar").map(Candidate::score).orElse(0.0))
                .isLessThan(SampleLists.THRESHOLD);
    }

    @Test
    void aHyphenatedKoreanGivenNameKeepsItsSyllables() {
        ScreeningOutcome o = screen(EntityKind.PERSON, "Da-eun Song");
        assertThat(o.decision()).isNotEqualTo(Decision.HIT);
        assertThat(o.candidates()).filteredOn(c -> c.matchedName().equalsIgnoreCase("RI, Eun Song"))
                .allSatisfy(c -> {
                    assertThat(c.score()).isLessThan(SampleLists.THRESHOLD);
                    assertThat(c.breakdown().get(0).explanation()).contains("da ").doesNotContain("da particle");
                });
    }

    @Test
    void particlesBelongToTheirNameSystem() {
        assertThat(NameNormalizer.analyse("Da-eun Song", EntityKind.PERSON).particles())
                .containsExactly(false, false, false);
        assertThat(NameNormalizer.analyse("João da Silva", EntityKind.PERSON).particles())
                .containsExactly(false, true, false);
        assertThat(NameNormalizer.analyse("Bashar al-Assad", EntityKind.PERSON).particles())
                .containsExactly(false, true, false);
        assertThat(NameNormalizer.analyse("Kang Su-bin", EntityKind.PERSON).particles())
                .containsExactly(false, false, false);
        assertThat(NameNormalizer.analyse("Usama bin Laden", EntityKind.PERSON).particles())
                .containsExactly(false, true, false);
        assertThat(NameNormalizer.analyse("Jan van der Berg", EntityKind.PERSON).particles())
                .containsExactly(false, true, true, false);
        // Capitalised in a name written in mixed case, "Da" is a name, not a particle.
        assertThat(NameNormalizer.analyse("Da Song", EntityKind.PERSON).particles()).containsExactly(false, false);
        // Lists write family names in capitals: there a particle is recognised in capitals.
        assertThat(NameNormalizer.analyse("DE LA CRUZ, Juan", EntityKind.PERSON).particles())
                .containsExactly(true, true, false, false);
        // Arabic script: the article joined to its noun is split off.
        assertThat(NameNormalizer.analyse("بشار الأسد", EntityKind.PERSON).tokens()).containsExactly("bshar", "al",
                "asd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"محمد علي", "أحمد حسن", "Νικόλαος", "Samir Farouk", "Rizky Santoso"})
    void commonNamesOfUnlistedPeopleAreNotHits(String name) {
        ScreeningOutcome o = screen(EntityKind.PERSON, name);
        assertThat(o.decision()).as(name).isNotEqualTo(Decision.HIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Samir Farouk", "Rizky Santoso"})
    void aDifferentGivenNameBesideOneListedTokenIsClear(String name) {
        assertThat(screen(EntityKind.PERSON, name).decision()).as(name).isEqualTo(Decision.CLEAR);
    }

    @ParameterizedTest(name = "{0} finds {1}")
    @CsvSource(delimiter = '|', value = {
        "بشار الأسد | AL-ASSAD, Bashar",
        "ماهر الأسد | AL-ASAD, Mahir",
        "حسن نصر الله | NASRALLAH, Hasan",
        "معمر القذافي | QADHAFI, Muammar",
        "قاسم سليماني | SOLEIMANI, Qasem",
        "صدام حسين | SADDAM HUSSEIN AL-TIKRITI",
    })
    void arabicScriptFindsListedPeople(String query, String listed) {
        ScreeningOutcome o = screen(EntityKind.PERSON, query);
        assertThat(o.decision()).as(query).isEqualTo(Decision.HIT);
        assertThat(o.candidates().stream().filter(c -> c.score() >= SampleLists.THRESHOLD)
                .map(Candidate::listedName)).as(query).contains(listed);
    }

    @ParameterizedTest(name = "{0} finds {1}")
    @CsvSource(delimiter = '|', value = {
        "金正恩 | KIM, Jong Un",
        "金 正恩 | KIM, Jong Un",
        "金與正 | KIM, Yo Jong",
        "金与正 | KIM, Yo Jong",
        "崔龍海 | CHOE, Ryong Hae",
        "李炳哲 | RI, Pyong Chol",
        "趙甬元 | JO, Yong-Won",
    })
    void aKoreanNameInHanCharactersFindsTheListedPersonByItsKoreanReading(String query, String listed) {
        // The lists carry no Han form of these names; ICU reads Han as Mandarin (jin zheng en).
        ScreeningOutcome o = screen(EntityKind.PERSON, query);
        assertThat(o.decision()).as(query).isEqualTo(Decision.HIT);
        Candidate c = o.candidates().stream().filter(x -> x.listedName().equals(listed)).findFirst().orElseThrow();
        assertThat(c.score()).as(query).isGreaterThanOrEqualTo(SampleLists.THRESHOLD);
        assertThat(c.queryName()).isEqualTo(query);
        assertThat(c.breakdown().get(0).explanation()).as(query).contains("query " + HanReadings.korean(query)
                .orElseThrow().split(" ")[0] + " ");
    }

    @Test
    void hanCharactersAreReadAsKoreanOnlyWhenEveryOneHasAReading() {
        assertThat(HanReadings.korean("金正恩")).contains("kim jong un");
        // Kana, Latin letters or a character without a Korean name reading: no Korean reading.
        assertThat(HanReadings.korean("佐藤さくら")).isEmpty();
        assertThat(HanReadings.korean("Kim 正恩")).isEmpty();
        assertThat(HanReadings.korean("習近平")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"王伟", "李娜", "陈静", "刘洋", "佐藤翔太"})
    void ordinaryNamesInHanCharactersAreNotHits(String name) {
        assertThat(screen(EntityKind.PERSON, name).decision()).as(name).isNotEqualTo(Decision.HIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Orient Shipping Limitd", "Orient Shipping Ltd", "Orient Shipping Limited",
        "Orient Shipping Limted", "Orient Shipping Lmited"})
    void aMisspeltLegalFormIsStillALegalForm(String name) {
        ScreeningOutcome o = screen(EntityKind.ORGANISATION, name);
        assertThat(o.decision()).as(name).isEqualTo(Decision.HIT);
        assertThat(candidate(o, "ORIENT SHIPPING LIMITED")).as(name).hasValueSatisfying(c ->
                assertThat(c.score()).isGreaterThanOrEqualTo(SampleLists.THRESHOLD));
    }

    @Test
    void aCompanyListedAsOneRareWordIsAHitByItsFullName() {
        ScreeningOutcome o = screen(EntityKind.ORGANISATION, "Ramcharan Limited");
        assertThat(o.decision()).isEqualTo(Decision.HIT);
        assertThat(o.candidates().get(0).listedName()).isEqualTo("RAMCHARAN LTD");
        // The same word screened as a person is a single name: at most a review.
        assertThat(screen(EntityKind.PERSON, "Ramcharan").decision()).isNotEqualTo(Decision.HIT);
    }

    @Test
    void onlyTheLegalFormIsForgivenItsTypo() {
        // "Shiping" is not a legal form: it is compared as a name, and "Limitd" does not eat "Orient".
        assertThat(NameNormalizer.tokens("Orient Shiping Limitd", EntityKind.ORGANISATION))
                .containsExactly("orient", "shiping");
        assertThat(NameNormalizer.tokens("Limitd", EntityKind.ORGANISATION)).containsExactly("limitd");
        assertThat(NameNormalizer.tokens("Compnay Holdings Limitd", EntityKind.ORGANISATION))
                .containsExactly("compnay", "holdings");
    }
}
