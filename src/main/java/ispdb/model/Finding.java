package ispdb.model;

/**
 * One line of check's report: in which table, at which key (a row's primary key, or the name of an index,
 * foreign key, CHECK or column), which rule (a stable word such as {@code orphan-reference}) and what is wrong.
 */
public record Finding(String tableName, String key, String rule, String detail) {
}
