package dev.roster.membership.rest;

import dev.roster.membership.service.MemberFields;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link MemberText} with the contract's rules (see {@link MemberFields#problemWith}). */
public class MemberTextValidator implements ConstraintValidator<MemberText, String> {

    private MemberText rule;

    @Override
    public void initialize(MemberText annotation) {
        this.rule = annotation;
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return report(context, rule.required() ? "is required" : null);
        }
        return report(context, MemberFields.problemWith(value, rule.max(), rule.pathSegment()));
    }

    private static boolean report(ConstraintValidatorContext context, String problem) {
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }
}
