package org.deoss.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-way module layering of DESIGN.md, checked on the compiled classes: core ← transfer, cache
 * ← fs ← packaging. The Maven enforcer checks the same on declared dependencies; this catches
 * transitive leaks.
 */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.deoss");
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }

  @Test
  void core_dependsOnNoOtherModuleNorOnNettyJnrOrCaffeine() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.deoss.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.deoss.transfer..",
                "org.deoss.cache..",
                "org.deoss.fs..",
                "org.deoss.packaging..",
                "org.deoss.tests..",
                "io.netty..",
                "jnr..",
                "ru.serce..",
                "com.github.benmanes.caffeine.."));
  }

  @Test
  void transfer_dependsOnCoreAndNettyOnly() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.deoss.transfer..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.deoss.cache..",
                "org.deoss.fs..",
                "org.deoss.packaging..",
                "org.deoss.tests..",
                "jnr..",
                "ru.serce..",
                "com.github.benmanes.caffeine..")
            .allowEmptyShould(true));
  }

  @Test
  void cache_dependsOnCoreAndCaffeineOnly() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.deoss.cache..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.deoss.transfer..",
                "org.deoss.fs..",
                "org.deoss.packaging..",
                "org.deoss.tests..",
                "io.netty..",
                "jnr..",
                "ru.serce..")
            .allowEmptyShould(true));
  }

  @Test
  void fs_neverTouchesTheWire() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.deoss.fs..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.deoss.transfer..", "org.deoss.packaging..", "org.deoss.tests..", "io.netty..")
            .allowEmptyShould(true));
  }
}
