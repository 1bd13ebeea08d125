package org.deoss.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Apache Ratis stays inside the replication module: the other modules reach the replicated ledger
 * through {@code org.deoss.replication} types only, so the embedded mode never touches Ratis.
 */
class ReplicationLayeringTest {
  @Test
  void onlyReplication_usesRatis() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.deoss");
    noClasses()
        .that()
        .resideOutsideOfPackage("org.deoss.replication..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.ratis..")
        .check(classes);
  }

  @Test
  void replication_isUsedByPackagingAndTestsOnly() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.deoss");
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.deoss.core..", "org.deoss.transfer..", "org.deoss.cache..", "org.deoss.fs..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.deoss.replication..")
        .check(classes);
  }
}
