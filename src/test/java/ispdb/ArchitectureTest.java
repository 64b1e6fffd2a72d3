package ispdb;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.session.Configuration;

/**
 * The house's layers and rules, checked on the compiled main classes, so the next command cannot bend them.
 * Bottom up: model, csv, files, db, load, analysis, report, cli; the root package's classes (IspdbException,
 * ExitCodes, Interruption, Release) are usable by all and use none of them.
 */
@AnalyzeClasses(packages = "ispdb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The layers bottom up: each may use the ones before it, and the root package. */
    private static final List<String> LAYERS = List.of("model", "csv", "files", "db", "load", "analysis", "report",
            "cli");

    @ArchTest
    static final ArchRule layers = layers();

    @ArchTest
    static final ArchRule the_maths_the_rows_and_the_store_know_no_command_output_or_loader = noClasses()
            .that().resideInAnyPackage("ispdb.db..", "ispdb.model..", "ispdb.analysis..")
            .should().dependOnClassesThat().resideInAnyPackage("ispdb.cli..", "ispdb.report..", "ispdb.load..");

    @ArchTest
    static final ArchRule only_the_command_line_uses_the_command_line = noClasses()
            .that().resideOutsideOfPackage("ispdb.cli..")
            .should().dependOnClassesThat().resideInAPackage("ispdb.cli..");

    @ArchTest
    static final ArchRule the_root_package_uses_no_layer = classes()
            .that().resideInAPackage("ispdb")
            .should().onlyDependOnClassesThat(resideInAPackage("ispdb").or(resideOutsideOfPackage("ispdb..")));

    @ArchTest
    static final ArchRule no_cycles_between_packages = slices().matching("ispdb.(*)..").should().beFreeOfCycles();

    /**
     * SQL lives in the mapper XML and runs through its mapper method; Java never takes its text out by id. The one
     * exception is a MyBatis executor (db/RowBatchExecutor): it sits inside MyBatis, under the mapper calls, where
     * MyBatis' own executors bind a statement's SQL.
     */
    @ArchTest
    static final ArchRule no_sql_read_out_of_mybatis = noClasses()
            .that().resideInAPackage("ispdb..")
            .and(DescribedPredicate.describe("are not a MyBatis executor or inside one",
                    (JavaClass c) -> !isExecutor(c) && !c.getEnclosingClass().map(ArchitectureTest::isExecutor)
                            .orElse(false)))
            .should().callMethodWhere(DescribedPredicate.describe(
                    "MappedStatement.getBoundSql or Configuration.getMappedStatement",
                    (JavaMethodCall call) -> call.getTarget().getOwner().isAssignableTo(MappedStatement.class)
                            && call.getTarget().getName().equals("getBoundSql")
                            || call.getTarget().getOwner().isAssignableTo(Configuration.class)
                            && call.getTarget().getName().equals("getMappedStatement")));

    /** Commands parse options and call one service: sessions and mappers stay below them. */
    @ArchTest
    static final ArchRule commands_use_no_mybatis = noClasses()
            .that().resideInAPackage("ispdb.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.ibatis..");

    private static boolean isExecutor(JavaClass c) {
        return c.isAssignableTo(org.apache.ibatis.executor.Executor.class);
    }

    private static LayeredArchitecture layers() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("root").definedBy("ispdb");
        for (String layer : LAYERS) {
            rule = rule.layer(layer).definedBy("ispdb." + layer + "..");
        }
        rule = rule.whereLayer("root").mayNotAccessAnyLayer();
        List<String> below = new ArrayList<>(List.of("root"));
        for (String layer : LAYERS) {
            rule = rule.whereLayer(layer).mayOnlyAccessLayers(below.toArray(String[]::new));
            below.add(layer);
        }
        return rule.ensureAllClassesAreContainedInArchitecture();
    }
}
