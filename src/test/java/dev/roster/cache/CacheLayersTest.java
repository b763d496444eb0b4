package dev.roster.cache;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cache's layering, so that it cannot drift: the cache could be lifted into a library of its own (it uses
 * nothing of the service), the service uses only its API, and inside it each package uses only those below it.
 *
 * <pre>
 *   dev.roster.cache.internal          the rules (interceptors, ResultCache, Evictions, the body writer)
 *     flight   near                    single flight; the near cache
 *     redis                            the one store implementation (every command, key and reply)
 *     metrics  entry                   meters and spans; the store seam, entry format and codec
 *     plan                             method plans, keys, tags
 *   dev.roster.cache                   the public API
 * </pre>
 */
class CacheLayersTest {

    private static final String CACHE = "dev.roster.cache";
    private static final String INTERNAL = CACHE + ".internal";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.roster");
    }

    @Test
    void cacheUsesNothingOfTheService() {
        noClasses()
                .that()
                .resideInAPackage(CACHE + "..")
                .should()
                .dependOnClassesThat(inRosterOutside(CACHE))
                .check(classes);
    }

    @Test
    void serviceUsesOnlyTheCacheApi() {
        noClasses()
                .that()
                .resideOutsideOfPackage(CACHE + "..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(INTERNAL + "..")
                .check(classes);
    }

    @Test
    void apiUsesNoInternals() {
        noClasses()
                .that()
                .resideInAPackage(CACHE)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(INTERNAL + "..")
                .check(classes);
    }

    @Test
    void internalPackagesUseOnlyThoseBelowThem() {
        only("plan");
        only("entry", "plan");
        only("metrics", "plan");
        only("redis", "entry", "plan");
        only("near", "entry", "plan");
        only("flight", "entry", "plan", "metrics");
    }

    @Test
    void internalPackagesHaveNoCycles() {
        slices().matching(INTERNAL + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    /** Classes of {@code internal.<pkg>} depend on no internal package but their own and {@code allowed}. */
    private static void only(String pkg, String... allowed) {
        Set<String> may = new java.util.HashSet<>(Set.of(allowed));
        may.add(pkg);
        noClasses()
                .that()
                .resideInAPackage(INTERNAL + "." + pkg + "..")
                .should()
                .dependOnClassesThat(DescribedPredicate.describe(
                        "are internal outside " + may,
                        (JavaClass c) -> c.getPackageName().startsWith(INTERNAL)
                                && may.stream()
                                        .noneMatch(p -> c.getPackageName().startsWith(INTERNAL + "." + p))))
                .check(classes);
    }

    private static DescribedPredicate<JavaClass> inRosterOutside(String pkg) {
        return DescribedPredicate.describe(
                "are Roster classes outside " + pkg,
                (JavaClass c) -> c.getPackageName().startsWith("dev.roster")
                        && !c.getPackageName().startsWith(pkg));
    }
}
